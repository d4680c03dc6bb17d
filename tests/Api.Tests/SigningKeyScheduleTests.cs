using System.Security.Cryptography;
using AgentSilo.Api.Auth;
using AgentSilo.Api.Auth.Keys;

namespace AgentSilo.Api.Tests;

public sealed class SigningKeyScheduleTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Rotation = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    private readonly SigningKey _base = NewKey();
    private readonly SigningKey _next = NewKey();

    private ScheduledKey[] Keys => [new(_base, null), new(_next, Rotation)];

    [Fact]
    public void Before_activation_the_old_key_signs_and_the_new_one_is_announced()
    {
        var live = SigningKeySchedule.At(Keys, Rotation.AddTicks(-1), Retention);
        Assert.Same(_base, live.Signer);
        Assert.Equal([_base, _next], live.Verifying);
        Assert.Equal(Rotation, live.ValidUntil);
    }

    [Fact]
    public void The_retired_key_verifies_until_retention_has_passed_and_not_one_tick_longer()
    {
        var lastMoment = SigningKeySchedule.At(Keys, Rotation + Retention - TimeSpan.FromTicks(1), Retention);
        Assert.Same(_next, lastMoment.Signer);
        Assert.Equal([_base, _next], lastMoment.Verifying);
        Assert.Equal(Rotation + Retention, lastMoment.ValidUntil);

        var gone = SigningKeySchedule.At(Keys, Rotation + Retention, Retention);
        Assert.Same(_next, gone.Signer);
        Assert.Equal([_next], gone.Verifying);
        Assert.Null(gone.Find(_base.KeyId));
    }

    [Fact]
    public void The_same_key_in_two_files_counts_once()
    {
        var live = SigningKeySchedule.At([new(_base, null), new(_base, Rotation)], Rotation.AddDays(1), Retention);
        Assert.Equal([_base], live.Verifying);
    }

    private static SigningKey NewKey() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));
}
