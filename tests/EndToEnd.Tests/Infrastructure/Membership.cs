using AgentSilo.Testing;
using Azure.Data.Tables;

namespace AgentSilo.EndToEnd.Infrastructure;

/// <summary>One row of Orleans' membership table: a silo incarnation (address, port, start generation) and its status.</summary>
public sealed record MemberRow(int Port, int Generation, string Status);

/// <summary>Reads a stack's cluster membership as the silos wrote it to storage.</summary>
public static class Membership
{
    public static async Task<List<MemberRow>> ReadAsync(ServiceStack stack)
    {
        var table = new TableServiceClient(stack.Azurite.ConnectionString).GetTableClient("OrleansSiloInstances");
        var rows = new List<MemberRow>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {stack.ClusterId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
        {
            // The table also holds a version row without a port.
            if (int.TryParse(row.GetString("Port"), out var port))
            {
                rows.Add(new MemberRow(port, int.Parse(row.GetString("Generation") ?? "0"), row.GetString("Status") ?? ""));
            }
        }

        return rows;
    }

    /// <summary>Silos of this stack's cluster that the membership table lists as active.</summary>
    public static async Task<int> CountActiveAsync(ServiceStack stack) =>
        (await ReadAsync(stack)).Count(r => string.Equals(r.Status, "Active", StringComparison.Ordinal));
}
