namespace FastTrack.Storage.Tests; public class SmokeTests { [Xunit.Fact] public void Runs() => Xunit.Assert.True(true); }
