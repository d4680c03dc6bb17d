using System.Text;
using AgentSilo.Grains.Agents.Safety;
using AgentSilo.Threads;

namespace AgentSilo.Grains.Agents;

/// <summary>Hears a turn's messages as they are written (streaming); every method is called in order.</summary>
public interface ITurnObserver
{
    ValueTask CreatedAsync(MessageView message);

    ValueTask DeltaAsync(string messageId, string delta);

    ValueTask CompletedAsync(MessageView message);
}

/// <summary>
/// Builds a turn's stored messages as the agents stream: one assistant message per agent reply, and a tool message
/// per tool call. When the turn stops early, <see cref="Finish"/> keeps what was complete and marks the reply that
/// was being written as truncated, so that no half reply is ever stored as a whole one. Secrets a model writes are
/// redacted before anything is stored or streamed.
/// </summary>
public sealed class TurnRecorder(string threadId, long firstSeq, TimeProvider time, ITurnObserver? observer = null)
{
    /// <summary>Longest reply stored per agent, so one turn always fits a single table transaction.</summary>
    public const int MaxReplyLength = 100_000;

    private readonly List<MessageView> _messages = [];
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();
    private MessageView? _current;
    private int _emitted;
    private string? _currentSourceId;

    /// <summary>The model tokens the turn used, from the models' usage figures.</summary>
    public TurnUsage Usage { get; } = new();

    /// <summary>Text an agent wrote; a new author or a new model message starts a new reply.</summary>
    public async ValueTask TextAsync(string author, string? sourceMessageId, string delta)
    {
        if (delta.Length == 0)
        {
            return;
        }

        Closed? closed = null;
        MessageView? created = null;
        string? safeDelta;
        string currentId;
        lock (_lock)
        {
            if (_current is not null && (_current.Author != author || (sourceMessageId is not null && _currentSourceId is not null && sourceMessageId != _currentSourceId)))
            {
                closed = CloseCurrent(truncated: false);
            }

            if (_current is null)
            {
                _current = NewMessage(MessageRoles.Assistant, author, string.Empty);
                _currentSourceId = sourceMessageId;
                created = _current;
            }

            var room = MaxReplyLength - _text.Length;
            _text.Append(delta.Length <= room ? delta : delta[..Math.Max(0, room)]);
            safeDelta = TakeSafeDelta();
            currentId = _current.Id;
        }

        if (observer is not null)
        {
            await NotifyAsync(closed);
            if (created is not null)
            {
                await observer.CreatedAsync(created);
            }

            if (safeDelta is not null)
            {
                await observer.DeltaAsync(currentId, safeDelta);
            }
        }
    }

    /// <summary>
    /// An agent's turn has ended: its reply is complete now, not only when the next agent starts writing, so a later
    /// agent's failure cannot mark it cut off and streaming clients get its <c>message.completed</c> at once.
    /// </summary>
    public async ValueTask EndReplyAsync()
    {
        Closed? closed;
        lock (_lock)
        {
            closed = CloseCurrent(truncated: false);
        }

        if (observer is not null)
        {
            await NotifyAsync(closed);
        }
    }

    /// <summary>A tool call an agent made and what it returned, stored for audit.</summary>
    public async ValueTask ToolAsync(string author, string content)
    {
        Closed? closed;
        MessageView tool;
        lock (_lock)
        {
            closed = CloseCurrent(truncated: false);
            tool = NewMessage(MessageRoles.Tool, author, SecretRedactor.Redact(content));
            _messages.Add(tool);
        }

        if (observer is not null)
        {
            await NotifyAsync(closed);
            await observer.CompletedAsync(tool);
        }
    }

    /// <summary>Every message of the turn; a reply still being written is kept only when cut off, and marked so.</summary>
    public async ValueTask<IReadOnlyList<MessageView>> FinishAsync(bool cutOff)
    {
        Closed? closed;
        MessageView[] all;
        lock (_lock)
        {
            closed = CloseCurrent(truncated: cutOff);
            all = [.. _messages];
        }

        if (observer is not null && !cutOff)
        {
            await NotifyAsync(closed);
        }

        return all;
    }

    /// <summary>Whether any agent has written text yet.</summary>
    public bool HasReplies
    {
        get
        {
            lock (_lock)
            {
                return _current is not null || _messages.Any(m => m.Role == MessageRoles.Assistant);
            }
        }
    }

    private MessageView NewMessage(string role, string author, string content) =>
        new(Guid.NewGuid().ToString("N"), threadId, firstSeq + _messages.Count, role, author, content, time.GetUtcNow());

    private Closed? CloseCurrent(bool truncated)
    {
        if (_current is null)
        {
            return null;
        }

        // What was sent so far is a prefix of the redacted whole: only text that could no longer change was sent.
        var content = SecretRedactor.Redact(_text.ToString());
        var rest = content.Length > _emitted ? content[_emitted..] : null;
        var done = _current with { Content = content, Truncated = truncated || _text.Length >= MaxReplyLength };
        _messages.Add(done);
        _current = null;
        _currentSourceId = null;
        _text.Clear();
        _emitted = 0;
        return new Closed(done, rest);
    }

    /// <summary>The part of the reply that can be sent now: redacted, and only up to where no secret can still begin.</summary>
    private string? TakeSafeDelta()
    {
        var redacted = SecretRedactor.Redact(_text.ToString());
        var safe = SecretRedactor.SafeLength(redacted);
        if (safe <= _emitted)
        {
            return null;
        }

        var delta = redacted[_emitted..safe];
        _emitted = safe;
        return delta;
    }

    private async ValueTask NotifyAsync(Closed? closed)
    {
        if (observer is null || closed is null)
        {
            return;
        }

        if (closed.Rest is not null)
        {
            await observer.DeltaAsync(closed.Message.Id, closed.Rest);
        }

        await observer.CompletedAsync(closed.Message);
    }

    private sealed record Closed(MessageView Message, string? Rest);
}
