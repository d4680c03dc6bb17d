using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents.Tools;

/// <summary>Stores every call of a tool and its result in the thread (role <c>tool</c>), so an admin can audit what an agent did.</summary>
public sealed class RecordedFunction(AIFunction inner, string agentName, TurnRecorder recorder) : DelegatingAIFunction(inner)
{
    private const int MaxRecordedLength = 8_000;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        object? result;
        try
        {
            result = await base.InvokeCoreAsync(arguments, cancellationToken);
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or FormatException)
        {
            // Arguments the model made up that do not bind: an error for the model, not a failed turn.
            result = new { error = "The arguments are not valid for this tool." };
        }

        var record = JsonSerializer.Serialize(new
        {
            tool = Name,
            arguments = arguments.ToDictionary(pair => pair.Key, pair => pair.Value),
            result,
        });
        await recorder.ToolAsync(agentName, record.Length <= MaxRecordedLength ? record : record[..MaxRecordedLength] + "…");
        return result;
    }
}
