using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace FastTrack.Domain.Tests;

/// <summary>Runs FsCheck properties from plain xunit facts with a fixed seed, so a failure reproduces.</summary>
internal static class Properties
{
    private static readonly Config Fixed = Config.QuickThrowOnFailure
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20261121UL, 7UL), FSharpOption<int>.None)));

    public static void Hold<T>(Gen<T> generator, Action<T> property, int tests = 200) =>
        Check.One(Fixed.WithMaxTest(tests), Prop.ForAll(generator.ToArbitrary(), property));
}
