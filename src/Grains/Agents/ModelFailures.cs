using System.ClientModel;
using AgentSilo.Agents;

namespace AgentSilo.Grains.Agents;

/// <summary>Turns what went wrong in a turn into the answer the client gets: 502, 503 or 504.</summary>
public static class ModelFailures
{
    private const int DefaultRetryAfterSeconds = 5;

    public static ModelFailedException Classify(Exception exception, bool timedOut, int timeoutSeconds)
    {
        if (timedOut)
        {
            return new ModelFailedException(
                $"The agents did not finish within {timeoutSeconds} seconds; what they had written is stored as cut off.",
                ModelFailedException.Timeout);
        }

        var status = Causes(exception).OfType<ClientResultException>().Select(e => e.Status).FirstOrDefault();
        return status switch
        {
            429 => new ModelFailedException(
                "The model is rate-limited right now; retry after the number of seconds in Retry-After.",
                ModelFailedException.Unavailable, DefaultRetryAfterSeconds),
            503 => new ModelFailedException(
                "The model is unavailable right now; retry after the number of seconds in Retry-After.",
                ModelFailedException.Unavailable, DefaultRetryAfterSeconds),
            _ => new ModelFailedException("The model failed to answer; nothing it wrote was passed off as a whole reply.",
                ModelFailedException.BadGateway),
        };
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                aggregate.InnerExceptions.ToList().ForEach(pending.Push);
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
