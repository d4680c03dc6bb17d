using AgentSilo.Access;
using Azure;
using Orleans.Storage;

namespace AgentSilo.Grains.Storage;

/// <summary>Recognises the exceptions that mean "storage did not answer or refused a write", however they are wrapped.</summary>
public static class StorageFailures
{
    /// <summary>How long clients are told to wait before retrying a call that storage refused.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The start of the message of the <see cref="OrleansException"/> Orleans wraps any storage provider failure in.</summary>
    public const string OrleansStorageErrorPrefix = "Error from storage provider";

    /// <summary>
    /// Azure SDK failures (after its own retries: an <see cref="AggregateException"/> of them), Orleans' ETag
    /// conflicts and its wrapper around any other storage provider failure, and a storage failure another grain
    /// already reported.
    /// </summary>
    public static bool IsStorageFailure(Exception exception) => exception switch
    {
        RequestFailedException or InconsistentStateException or ServiceUnavailableException => true,
        OrleansException when exception.Message.StartsWith(OrleansStorageErrorPrefix, StringComparison.Ordinal) => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsStorageFailure),
        _ => exception.InnerException is { } inner && IsStorageFailure(inner),
    };
}
