namespace AgentSilo.Grains.Tests;

/// <summary>
/// The real clock plus an offset the test can grow. Orleans reads the same provider, so unlike a frozen clock it
/// keeps moving and the runtime's own timing still works.
/// </summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
