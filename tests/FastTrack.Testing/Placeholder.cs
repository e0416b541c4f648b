namespace FastTrack.Testing; public static class Placeholder {}
