using AgentSilo.Access;
using Azure;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Storage;

/// <summary>One page of a table query, resumed from and ending in an opaque cursor.</summary>
public static class TablePaging
{
    public static async Task<(IReadOnlyList<TableEntity> Items, string? NextCursor)> ReadPageAsync(
        TableClient table, string? filter, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var continuation = TableCursor.Decode(cursor);
        var pageSize = TableCursor.ClampLimit(limit);
        try
        {
            // Azure Tables may return a short (even empty) page with a continuation token, so keep reading until the
            // page is full or the query ends; the cursor then points exactly after the last item returned.
            var items = new List<TableEntity>(pageSize);
            while (true)
            {
                var query = table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize - items.Count, cancellationToken: cancellationToken);
                var page = await query.AsPages(continuation, pageSize - items.Count).FirstOrDefaultAsync(cancellationToken);
                if (page is null)
                {
                    return (items, null);
                }

                items.AddRange(page.Values);
                continuation = page.ContinuationToken;
                if (continuation is null || items.Count >= pageSize)
                {
                    return (items, TableCursor.Encode(continuation));
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 400 && cursor is not null)
        {
            throw new ValidationFailedException("The cursor is not valid.");
        }
    }
}
