using AgentSilo.Grains.Storage;
using Azure.Data.Tables;
using Orleans.Runtime;

namespace AgentSilo.Silo;

/// <summary>
/// Creates the application's tables once when the silo starts, so that no grain call pays for (or races on)
/// table creation. It runs before the silo accepts grain calls.
/// </summary>
public sealed class TableProvisioner(TableServiceClient tables) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TableProvisioner), ServiceLifecycleStage.ApplicationServices, CreateTablesAsync);

    private async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        foreach (var table in StorageTables.All)
        {
            await tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        }
    }
}
