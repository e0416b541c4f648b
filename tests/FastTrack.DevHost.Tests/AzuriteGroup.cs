using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests;

/// <summary>App test classes share one Azurite; each app instance gets tables, queues and containers of its own use.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
