using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests;

/// <summary>Test classes in this collection share one Azurite; each test uses its own table, container or queue.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
