using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Web;
using Azure.Core.Diagnostics;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Tests;

/// <summary>One request an Azure SDK client sent to a table: its method, the table, and its query options.</summary>
public sealed record TableRequest(string Method, string Table, Uri Uri)
{
    /// <summary>The <c>$top</c> of a query (how many rows it asks for at most), or null.</summary>
    public string? Top => HttpUtility.ParseQueryString(Uri.Query)["$top"];

    /// <summary>What the request is, without the keys and values it names: method, table and <c>$top</c>.</summary>
    public string Shape => $"{Method} {Table} top={Top ?? "-"}";
}

/// <summary>
/// Records the requests this process's Azure SDK clients send to the tables of one storage account (all of them, or
/// one), from the SDK's own request log (the <c>Azure-Core</c> event source): what the silos in this process asked
/// storage, as storage saw it. Requests to the Azurite of another test running at the same time are not recorded.
/// </summary>
public sealed class TableRequestRecorder : IDisposable
{
    private readonly string _accountPath;
    private readonly string? _table;
    private readonly ConcurrentQueue<TableRequest> _requests = new();
    private readonly AzureEventSourceListener _listener;

    public TableRequestRecorder(string storageConnectionString, string? table = null)
    {
        // The account's table address, e.g. http://127.0.0.1:12345/devstoreaccount1/
        _accountPath = new TableServiceClient(storageConnectionString).Uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        _table = table;
        _listener = new AzureEventSourceListener((e, _) => Record(e), EventLevel.Informational);
    }

    /// <summary>The requests recorded so far, in the order they were sent.</summary>
    public IReadOnlyList<TableRequest> Requests => [.. _requests];

    public void Dispose() => _listener.Dispose();

    private void Record(EventWrittenEventArgs e)
    {
        if (e.EventName != "Request" || e.PayloadNames is null || e.Payload is null)
        {
            return;
        }

        var uriAt = e.PayloadNames.IndexOf("uri");
        var methodAt = e.PayloadNames.IndexOf("method");
        if (uriAt < 0 || methodAt < 0 || e.Payload[uriAt] is not string address || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return;
        }

        var path = uri.GetLeftPart(UriPartial.Path);
        if (!path.StartsWith(_accountPath, StringComparison.Ordinal))
        {
            return;
        }

        // "messages(PartitionKey='..',RowKey='..')", "messages()" or "$batch": the table is the name before any "(".
        var table = path[_accountPath.Length..].Split('(')[0];
        if (_table is null || table == _table)
        {
            _requests.Enqueue(new TableRequest(e.Payload[methodAt]?.ToString() ?? "?", table, uri));
        }
    }
}
