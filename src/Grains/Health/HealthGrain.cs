using AgentSilo.Grains.Storage;
using AgentSilo.Health;
using Azure.Data.Tables;
using Orleans.Concurrency;

namespace AgentSilo.Grains.Health;

[StatelessWorker]
public sealed class HealthGrain(TableServiceClient tables) : Grain, IHealthGrain
{
    private readonly TableClient _index = tables.GetTableClient(StorageTables.ThreadIndex);

    public async Task CheckStorageAsync()
    {
        // A one-row query proves the account answers and the application's tables exist; a failure propagates.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var query = _index.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: timeout.Token);
        await query.AsPages(pageSizeHint: 1).FirstOrDefaultAsync(timeout.Token);
    }
}
