using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using AgentSilo.Agents;
using AgentSilo.Grains.Agents;
using AgentSilo.Threads;

namespace AgentSilo.Grains.Threads;

/// <summary>
/// Carries the events of a turn that runs in the thread grain to the caller reading the stream. The turn runs on its
/// own, so a reader that goes away (its cancellation cuts the turn off) never leaves the thread half-written.
/// </summary>
public sealed class TurnStream : ITurnObserver
{
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(10);

    private readonly Channel<TurnEvent> _events = Channel.CreateUnbounded<TurnEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, bool> _completed = new(StringComparer.Ordinal);
    private ExceptionDispatchInfo? _refusal;

    public ValueTask CreatedAsync(MessageView message) => WriteAsync(new TurnEvent(TurnEventTypes.Created, Message: message with { Content = string.Empty }));

    public ValueTask DeltaAsync(string messageId, string delta) => WriteAsync(new TurnEvent(TurnEventTypes.Delta, MessageId: messageId, Delta: delta));

    public ValueTask CompletedAsync(MessageView message)
    {
        _completed[message.Id] = true;
        return WriteAsync(new TurnEvent(TurnEventTypes.Completed, Message: message));
    }

    /// <summary>Runs the post and ends the stream with done, an error event, or (when refused before anything was stored) the exception.</summary>
    public async Task RunAsync(Func<Task<MessageView[]>> post)
    {
        try
        {
            var messages = await post();
            foreach (var message in messages.Where(m => !_completed.ContainsKey(m.Id)))
            {
                await CompletedAsync(message);
            }

            await WriteAsync(new TurnEvent(TurnEventTypes.Done, Messages: messages));
        }
        catch (ModelFailedException failure) when (!_completed.IsEmpty)
        {
            await WriteAsync(new TurnEvent(TurnEventTypes.Error, Status: failure.Status, Detail: failure.Message, RetryAfterSeconds: failure.RetryAfterSeconds));
        }
        catch (Exception exception) when (_completed.IsEmpty)
        {
            _refusal = ExceptionDispatchInfo.Capture(exception);
        }
        catch (Exception)
        {
            await WriteAsync(new TurnEvent(TurnEventTypes.Error, Status: ModelFailedException.BadGateway, Detail: "The turn failed."));
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async IAsyncEnumerable<TurnEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(KeepAliveInterval);
            bool more;
            try
            {
                more = await _events.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                more = true;
            }

            if (!more)
            {
                _refusal?.Throw();
                yield break;
            }

            if (!_events.Reader.TryPeek(out _))
            {
                yield return new TurnEvent(TurnEventTypes.KeepAlive);
            }

            while (_events.Reader.TryRead(out var next))
            {
                yield return next;
            }
        }
    }

    private ValueTask WriteAsync(TurnEvent turnEvent) => _events.Writer.WriteAsync(turnEvent);
}
