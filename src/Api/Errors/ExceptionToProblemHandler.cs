using System.Text.Json;
using AgentSilo.Access;
using AgentSilo.Agents;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace AgentSilo.Api.Errors;

/// <summary>
/// The one place where exceptions become answers (DESIGN.md, decision 6). Domain exceptions carry messages written
/// for clients; anything else is logged and answered without its message, so no internals leak.
/// </summary>
public sealed partial class ExceptionToProblemHandler(ILogger<ExceptionToProblemHandler> logger) : IExceptionHandler
{
    private const int ClusterRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }

        var (status, detail) = Classify(exception);
        if (exception is not ModelFailedException && status == StatusCodes.Status500InternalServerError)
        {
            LogUnexpected(logger, exception, context.Request.Method, context.Request.Path);
        }
        else if (exception is not ModelFailedException && status == StatusCodes.Status503ServiceUnavailable)
        {
            LogClusterUnavailable(logger, exception, exception.GetType().Name);
        }

        // Whoever failed knows best how long to wait (midnight UTC for the model budget, a few seconds for storage,
        // what the model asked for); a cluster that did not answer gets a short default.
        int? retryAfter = exception switch
        {
            RetryLaterException retry => retry.RetryAfterSeconds,
            ModelFailedException model => model.RetryAfterSeconds > 0 ? model.RetryAfterSeconds : null,
            _ when status == StatusCodes.Status503ServiceUnavailable => ClusterRetryAfterSeconds,
            _ => null,
        };
        if (retryAfter is { } seconds)
        {
            Problems.SetRetryAfter(context.Response, seconds);
        }

        // Exception = null: the problem-details writer must not describe the exception, even in Development.
        await Problems.WriteAsync(context, status, detail);
        return true;
    }

    private static (int Status, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException bad => (bad.StatusCode, DescribeBadRequest(bad)),
        NotFoundException => (StatusCodes.Status404NotFound, "The resource does not exist."),
        ForbiddenException e => (StatusCodes.Status403Forbidden, OrDefault(e.Message, "This operation is not allowed.")),
        ValidationFailedException e => (StatusCodes.Status400BadRequest, OrDefault(e.Message, "The request is not valid.")),
        ConflictException e => (StatusCodes.Status409Conflict, OrDefault(e.Message, "The request conflicts with the current state.")),
        IdempotencyKeyReusedException e => (StatusCodes.Status422UnprocessableEntity,
            OrDefault(e.Message, "The Idempotency-Key was used with a different request.")),
        QuotaExceededException e => (StatusCodes.Status429TooManyRequests, OrDefault(e.Message, "The quota is spent.")),
        ModelFailedException e => (e.Status is 502 or 503 or 504 ? e.Status : StatusCodes.Status502BadGateway,
            OrDefault(e.Message, "The model failed to answer.")),
        ServiceUnavailableException e => (StatusCodes.Status503ServiceUnavailable,
            OrDefault(e.Message, "The service is temporarily unavailable; retry shortly.")),
        SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException or ConnectionFailedException
            or TimeoutException
            => (StatusCodes.Status503ServiceUnavailable, "The service is temporarily unavailable; retry shortly."),
        // A grain that could not even be activated (its state unreadable) fails before the silo's storage filter runs.
        _ when IsStorageFailure(exception)
            => (StatusCodes.Status503ServiceUnavailable, "Storage is not reachable right now; retry shortly."),
        _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
    };

    private static bool IsStorageFailure(Exception exception) => exception switch
    {
        Azure.RequestFailedException or Orleans.Storage.InconsistentStateException => true,
        OrleansException when exception.Message.StartsWith("Error from storage provider", StringComparison.Ordinal) => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsStorageFailure),
        _ => exception.InnerException is { } inner && IsStorageFailure(inner),
    };

    private static string DescribeBadRequest(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than 1 MiB.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be application/json.",
        _ when exception.InnerException is JsonException =>
            "The request body is not valid JSON for this operation, or holds properties that are not accepted.",
        _ => "The request could not be read: a parameter or the body is missing or malformed.",
    };

    private static string OrDefault(string message, string fallback) =>
        string.IsNullOrWhiteSpace(message) || message.StartsWith("Exception of type", StringComparison.Ordinal) ? fallback : message;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception answering {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster is unavailable ({ExceptionType})")]
    private static partial void LogClusterUnavailable(ILogger logger, Exception exception, string exceptionType);
}
