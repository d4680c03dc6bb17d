using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentSilo.Testing;

/// <summary>
/// A real HTTP server on loopback that speaks the OpenAI chat completions protocol (<c>POST /v1/chat/completions</c>,
/// plain JSON or server-sent event chunks, usage figures, tool calls) with scripted answers, so that the real OpenAI
/// connector is tested end to end without a hosted model. It is a test double for the model only, and says so.
/// The script is in the latest user message:
/// <c>[[status:429]]</c> answers that status; <c>[[fail-after:N:500]]</c> anywhere in the conversation answers 500 once
/// a request carries more than N non-system messages (a later agent of a team); <c>[[hang]]</c> never answers; <c>[[stall]]</c> streams one chunk and
/// then hangs; <c>[[say:TEXT]]</c> answers TEXT; <c>[[tool:NAME:JSON]]</c> calls tool NAME with arguments JSON and,
/// once the tool result comes back, answers <c>tool said: RESULT</c>. Anything else gets
/// <c>scripted answer to N messages</c>. Every answer reports <see cref="PromptTokensPerMessage"/> input tokens per
/// message and <see cref="CompletionTokens"/> output tokens.
/// </summary>
public sealed partial class ScriptedOpenAiServer : IAsyncDisposable
{
    public const int PromptTokensPerMessage = 10;
    public const int CompletionTokens = 7;

    private readonly WebApplication _app;

    private ScriptedOpenAiServer(WebApplication app) => _app = app;

    /// <summary>The base URL to configure as a model's endpoint, ending in <c>/v1</c>.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>Every request body received, in order.</summary>
    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public static async Task<ScriptedOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ScriptedOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Endpoint = address.TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>The requests whose messages contain <paramref name="marker"/> anywhere.</summary>
    public IReadOnlyList<JsonObject> RequestsMentioning(string marker) =>
        Requests.Where(r => r["messages"]!.ToJsonString().Contains(marker, StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
        Requests.Enqueue(request);
        var messages = request["messages"]!.AsArray();
        var last = messages[^1]!.AsObject();
        var lastUser = messages.LastOrDefault(m => (string?)m!["role"] == "user") is { } user ? TextOf(user) : string.Empty;
        var streaming = (bool?)request["stream"] == true;
        var usage = new JsonObject
        {
            ["prompt_tokens"] = PromptTokensPerMessage * messages.Count,
            ["completion_tokens"] = CompletionTokens,
            ["total_tokens"] = PromptTokensPerMessage * messages.Count + CompletionTokens,
        };

        // As OpenAI does: a participant name outside [a-zA-Z0-9_-] is a bad request.
        if (messages.Any(m => m!["name"] is { } name && !ParticipantName().IsMatch((string?)name ?? string.Empty)))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "Invalid 'messages[].name'", type = "invalid_request_error" } });
            return;
        }

        // [[fail-after:N:STATUS]] anywhere in the conversation: requests that carry more than N messages besides the
        // system ones fail, so in a sequential team the first agent answers and a later one fails.
        var conversationText = string.Join("\n", messages.Select(m => TextOf(m!)));
        var nonSystem = messages.Count(m => (string?)m!["role"] != "system");
        if (FailAfterScript().Match(conversationText) is { Success: true } failAfter
            && nonSystem > int.Parse(failAfter.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
        {
            context.Response.StatusCode = int.Parse(failAfter.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(new { error = new { message = "scripted failure", type = "server_error" } });
            return;
        }

        if (StatusScript().Match(lastUser) is { Success: true } status)
        {
            context.Response.StatusCode = int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(new { error = new { message = "scripted failure", type = "server_error" } });
            return;
        }

        if (lastUser.Contains("[[hang]]", StringComparison.Ordinal))
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        JsonObject? toolCall = null;
        string text;
        if (ToolScript().Match(lastUser) is { Success: true } tool && (string?)last["role"] != "tool")
        {
            toolCall = new JsonObject
            {
                ["id"] = "call_" + Guid.NewGuid().ToString("N")[..8],
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = tool.Groups[1].Value, ["arguments"] = tool.Groups[2].Value },
            };
            text = string.Empty;
        }
        else if ((string?)last["role"] == "tool")
        {
            text = "tool said: " + TextOf(last);
        }
        else if (SayScript().Match(lastUser) is { Success: true } say)
        {
            text = say.Groups[1].Value;
        }
        else
        {
            text = $"scripted answer to {messages.Count} messages";
        }

        if (streaming)
        {
            await StreamAsync(context, text, toolCall, usage, stall: lastUser.Contains("[[stall]]", StringComparison.Ordinal));
        }
        else
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = toolCall is null ? text : null };
            if (toolCall is not null)
            {
                message["tool_calls"] = new JsonArray(toolCall);
            }

            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = "chatcmpl-scripted",
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = (string?)request["model"],
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = message,
                    ["finish_reason"] = toolCall is null ? "stop" : "tool_calls",
                }),
                ["usage"] = usage,
            });
        }
    }

    private static async Task StreamAsync(HttpContext context, string text, JsonObject? toolCall, JsonObject usage, bool stall)
    {
        context.Response.ContentType = "text/event-stream";
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12];

        async Task SendAsync(JsonObject delta, string? finish, JsonObject? usageFigures = null)
        {
            var chunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = "scripted",
                ["choices"] = usageFigures is null
                    ? new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish })
                    : new JsonArray(),
            };
            if (usageFigures is not null)
            {
                chunk["usage"] = usageFigures;
            }

            await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        if (toolCall is not null)
        {
            var streamed = toolCall.DeepClone().AsObject();
            streamed["index"] = 0;
            await SendAsync(new JsonObject { ["role"] = "assistant", ["tool_calls"] = new JsonArray(streamed) }, null);
            await SendAsync(new JsonObject(), "tool_calls");
        }
        else
        {
            var third = Math.Max(1, text.Length / 3);
            for (var start = 0; start < text.Length; start += third)
            {
                await SendAsync(new JsonObject { ["role"] = "assistant", ["content"] = text.Substring(start, Math.Min(third, text.Length - start)) }, null);
                if (stall)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
            }

            await SendAsync(new JsonObject(), "stop");
        }

        await SendAsync(new JsonObject(), null, usage.DeepClone().AsObject());
        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    private static string TextOf(JsonNode message) => message["content"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"] ?? string.Empty)),
        _ => string.Empty,
    };

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ParticipantName();

    [GeneratedRegex(@"\[\[status:(\d{3})\]\]")]
    private static partial Regex StatusScript();

    [GeneratedRegex(@"\[\[fail-after:(\d+):(\d{3})\]\]")]
    private static partial Regex FailAfterScript();

    [GeneratedRegex(@"\[\[tool:([a-z_]+):(\{.*?\})\]\]")]
    private static partial Regex ToolScript();

    [GeneratedRegex(@"\[\[say:(.*?)\]\]", RegexOptions.Singleline)]
    private static partial Regex SayScript();
}
