namespace FastTrack.Domain; public static class Placeholder {}
