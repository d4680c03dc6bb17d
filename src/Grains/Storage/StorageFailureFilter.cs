using AgentSilo.Access;
using Microsoft.Extensions.Logging;

namespace AgentSilo.Grains.Storage;

/// <summary>
/// When storage fails inside any grain call, the grain is deactivated, so that its next call reads its state from
/// storage again instead of trusting memory that storage may never have received (a failed write can leave the two
/// apart, DESIGN.md). The caller gets a <see cref="ServiceUnavailableException"/>, which the API answers with 503
/// and Retry-After, never a 500.
/// </summary>
public sealed partial class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (StorageFailures.IsStorageFailure(exception))
        {
            LogStorageFailure(logger, exception, context.TargetContext.GrainId.ToString(), context.MethodName);
            // No exception in the reason (it is logged above): Orleans would fail the calls queued behind this one with
            // it, where without one it sends them on to the next activation, which reads storage again.
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "A storage call failed."));
            throw new ServiceUnavailableException(
                "Storage is not reachable right now; nothing was changed. Retry shortly.", StorageFailures.RetryAfterSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage failed during {GrainId}.{Method}; the grain is deactivated")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string grainId, string method);
}
