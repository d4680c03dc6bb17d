using System.Text.Json.Serialization;

namespace AgentSilo.Api.Threads;

// Unknown members fail binding, so a client cannot smuggle server-owned fields (id, ownerId, createdAt, ...) in.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateThreadRequest(string? Title, string[]? Agents, Dictionary<string, string>? Metadata, string? Orchestration);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateThreadRequest(string? Title, Dictionary<string, string>? Metadata);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PostMessageRequest(string? Content);

public sealed record PostMessageResponse(AgentSilo.Threads.MessageView[] Messages);
