namespace FastTrack.Storage; public static class Placeholder {}
