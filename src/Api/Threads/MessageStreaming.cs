using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using AgentSilo.Access;
using AgentSilo.Threads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Threads;

/// <summary>
/// <c>Accept: text/event-stream</c> on a post (API.md, Reliable posting and streaming): the grain's turn events as
/// server-sent events with ids. A client that goes away cancels the grain call, which cuts the turn off.
/// </summary>
public static class MessageStreaming
{
    public const string EventStream = "text/event-stream";

    public static bool IsWanted(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals(EventStream, StringComparison.OrdinalIgnoreCase));

    public static async Task<ServerSentEventsResult<string>> StreamAsync(
        IThreadGrain grain, Caller caller, string content, string? idempotencyKey, HttpContext context)
    {
        var aborted = context.RequestAborted;
        var events = grain.PostStreamingAsync(caller, content, idempotencyKey, aborted).GetAsyncEnumerator(aborted);

        // The first event decides the status: a refused post (404, 409, 400, 422) throws here and is answered as
        // problem details before anything is streamed.
        try
        {
            if (!await events.MoveNextAsync())
            {
                throw new InvalidOperationException("The turn stream ended before it started.");
            }
        }
        catch (DomainException)
        {
            // Answered as problem details by the exception handler; the grain call is over.
            await events.DisposeAsync();
            throw;
        }

        var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return TypedResults.ServerSentEvents(ToServerSentEvents(events, json, context));
    }

    private static async IAsyncEnumerable<SseItem<string>> ToServerSentEvents(
        IAsyncEnumerator<TurnEvent> events, JsonSerializerOptions json, HttpContext context)
    {
        var id = 0;
        await using (events)
        {
            TurnEvent? current = events.Current;
            while (current is not null)
            {
                if (current.Type != TurnEventTypes.KeepAlive)
                {
                    yield return new SseItem<string>(Data(current, json, context), current.Type)
                    {
                        EventId = (++id).ToString(CultureInfo.InvariantCulture),
                    };
                }

                current = current.Type is TurnEventTypes.Done or TurnEventTypes.Error ? null : await NextAsync(events, context);
            }
        }
    }

    private static async Task<TurnEvent?> NextAsync(IAsyncEnumerator<TurnEvent> events, HttpContext context)
    {
        try
        {
            return await events.MoveNextAsync() ? events.Current : null;
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The cluster went away mid-turn; the answer is already 200, so the stream says it.
            return new TurnEvent(TurnEventTypes.Error, Status: StatusCodes.Status503ServiceUnavailable,
                Detail: "The service is temporarily unavailable; the thread keeps what was stored.");
        }
    }

    private static SseItem<string> Item(string type, string data, int id) =>
        new(data, type) { EventId = id.ToString(CultureInfo.InvariantCulture) };

    private static string Data(TurnEvent turnEvent, JsonSerializerOptions json, HttpContext context) => turnEvent.Type switch
    {
        TurnEventTypes.Created or TurnEventTypes.Completed => JsonSerializer.Serialize(turnEvent.Message, json),
        TurnEventTypes.Delta => JsonSerializer.Serialize(new { messageId = turnEvent.MessageId, delta = turnEvent.Delta }, json),
        TurnEventTypes.Done => JsonSerializer.Serialize(new PostMessageResponse(turnEvent.Messages ?? []), json),
        _ => JsonSerializer.Serialize(Problem(turnEvent, context), json),
    };

    private static ProblemDetails Problem(TurnEvent turnEvent, HttpContext context)
    {
        var status = turnEvent.Status is >= 400 and <= 599 ? turnEvent.Status : StatusCodes.Status502BadGateway;
        var problem = new ProblemDetails
        {
            Type = $"https://tools.ietf.org/html/rfc9110#section-15.6.{status - 499}",
            Title = ReasonPhrases.GetReasonPhrase(status),
            Status = status,
            Detail = turnEvent.Detail,
        };
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        if (turnEvent.RetryAfterSeconds > 0)
        {
            problem.Extensions["retryAfter"] = turnEvent.RetryAfterSeconds;
        }

        return problem;
    }
}
