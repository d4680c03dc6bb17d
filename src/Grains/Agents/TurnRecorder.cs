using System.Text;
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
/// was being written as truncated, so that no half reply is ever stored as a whole one.
/// </summary>
public sealed class TurnRecorder(string threadId, long firstSeq, TimeProvider time, ITurnObserver? observer = null)
{
    /// <summary>Longest reply stored per agent, so one turn always fits a single table transaction.</summary>
    public const int MaxReplyLength = 100_000;

    private readonly List<MessageView> _messages = [];
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();
    private MessageView? _current;
    private string? _currentSourceId;
    private long _inputTokens;
    private long _outputTokens;

    public long TokensUsed => Interlocked.Read(ref _inputTokens) + Interlocked.Read(ref _outputTokens);

    public void AddUsage(long input, long output)
    {
        Interlocked.Add(ref _inputTokens, input);
        Interlocked.Add(ref _outputTokens, output);
    }

    /// <summary>Text an agent wrote; a new author or a new model message starts a new reply.</summary>
    public async ValueTask TextAsync(string author, string? sourceMessageId, string delta)
    {
        if (delta.Length == 0)
        {
            return;
        }

        MessageView? closed = null;
        MessageView? created = null;
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
        }

        if (observer is not null)
        {
            if (closed is not null)
            {
                await observer.CompletedAsync(closed);
            }

            if (created is not null)
            {
                await observer.CreatedAsync(created);
            }

            await observer.DeltaAsync(_current!.Id, delta);
        }
    }

    /// <summary>A tool call an agent made and what it returned, stored for audit.</summary>
    public async ValueTask ToolAsync(string author, string content)
    {
        MessageView? closed;
        MessageView tool;
        lock (_lock)
        {
            closed = CloseCurrent(truncated: false);
            tool = NewMessage(MessageRoles.Tool, author, content);
            _messages.Add(tool);
        }

        if (observer is not null)
        {
            if (closed is not null)
            {
                await observer.CompletedAsync(closed);
            }

            await observer.CompletedAsync(tool);
        }
    }

    /// <summary>Every message of the turn; a reply still being written is kept only when cut off, and marked so.</summary>
    public async ValueTask<IReadOnlyList<MessageView>> FinishAsync(bool cutOff)
    {
        MessageView? closed;
        MessageView[] all;
        lock (_lock)
        {
            closed = CloseCurrent(truncated: cutOff);
            all = [.. _messages];
        }

        if (observer is not null && closed is not null && !cutOff)
        {
            await observer.CompletedAsync(closed);
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

    private MessageView? CloseCurrent(bool truncated)
    {
        if (_current is null)
        {
            return null;
        }

        var done = _current with { Content = _text.ToString(), Truncated = truncated || _text.Length >= MaxReplyLength };
        _messages.Add(done);
        _current = null;
        _currentSourceId = null;
        _text.Clear();
        return done;
    }
}
