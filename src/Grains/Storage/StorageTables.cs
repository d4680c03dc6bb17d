namespace AgentSilo.Grains.Storage;

/// <summary>The Azure tables the grains write to directly, beside Orleans' own grain-state tables.</summary>
public static class StorageTables
{
    public const string Messages = "messages";
    public const string ThreadIndex = "threadindex";
    public const string Audit = "audit";

    public static readonly string[] All = [Messages, ThreadIndex, Audit];

    /// <summary>
    /// A row key that sorts newest first: Azure Tables only sort ascending, so the key counts down from the
    /// largest instant. The id suffix keeps keys unique when two rows share a tick.
    /// </summary>
    public static string NewestFirstKey(DateTimeOffset at, string id) =>
        $"{DateTime.MaxValue.Ticks - at.UtcTicks:D19}-{id}";
}
