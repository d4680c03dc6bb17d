using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// Records the requests this process's Azure SDK clients send to one table of one storage account, from the SDK's own
/// request log (the <c>Azure-Core</c> event source): what the silos in this process asked storage, as storage saw it.
/// Requests to other tables, or to the Azurite of another test running at the same time, are not recorded.
/// </summary>
public sealed class TableRequestRecorder : IDisposable
{
    private readonly string _tablePath;
    private readonly ConcurrentQueue<Uri> _requests = new();
    private readonly AzureEventSourceListener _listener;

    public TableRequestRecorder(string storageConnectionString, string table)
    {
        // The table's address on this account, e.g. http://127.0.0.1:12345/devstoreaccount1/threadindex
        var account = new TableServiceClient(storageConnectionString).Uri;
        _tablePath = account.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + table;
        _listener = new AzureEventSourceListener((e, _) => Record(e), EventLevel.Informational);
    }

    /// <summary>The request addresses recorded so far, query strings included, in the order they were sent.</summary>
    public IReadOnlyList<Uri> Requests => [.. _requests];

    public void Dispose() => _listener.Dispose();

    private void Record(EventWrittenEventArgs e)
    {
        if (e.EventName != "Request" || e.PayloadNames is null || e.Payload is null)
        {
            return;
        }

        var at = e.PayloadNames.IndexOf("uri");
        if (at >= 0 && e.Payload[at] is string address && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            && uri.GetLeftPart(UriPartial.Path).StartsWith(_tablePath, StringComparison.Ordinal))
        {
            _requests.Enqueue(uri);
        }
    }
}
