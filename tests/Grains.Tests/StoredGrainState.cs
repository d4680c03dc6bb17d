using System.Text;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Tests;

/// <summary>Reads a grain's serialized state straight from Orleans' grain-state table, as storage holds it.</summary>
public static class StoredGrainState
{
    /// <summary>
    /// Every property of the state row of grain <paramref name="grainType"/>/<paramref name="grainKey"/> (for
    /// <c>ThreadGrain</c> the type is <c>thread</c>), as text. Orleans keys the row <c>{serviceId}_{type}_{key}</c>.
    /// </summary>
    public static async Task<string> ReadAsync(string storageConnectionString, string grainType, string grainKey)
    {
        var table = new TableServiceClient(storageConnectionString).GetTableClient("OrleansGrainState");
        var suffix = $"_{grainType}_{grainKey}";
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            if (!entity.PartitionKey.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var text = new StringBuilder();
            foreach (var (key, value) in entity)
            {
                text.Append(key).Append('=').Append(value switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    BinaryData data => data.ToString(),
                    _ => value?.ToString(),
                }).Append('\n');
            }

            return text.ToString();
        }

        throw new InvalidOperationException($"No state of grain {grainType}/{grainKey} was found in storage.");
    }
}
