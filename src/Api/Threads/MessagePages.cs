using AgentSilo.Access;
using AgentSilo.Api.Paging;
using AgentSilo.Threads;

namespace AgentSilo.Api.Threads;

/// <summary>Message listing shared by the owner's and the admin's routes.</summary>
public static class MessagePages
{
    public static async Task<Page<MessageView>> ReadAsync(IThreadGrain grain, Caller caller, int? limit, string? cursor, long? after)
    {
        var afterSeq = MessageCursor.AfterSeq(PageQuery.Cursor(cursor), after);
        var page = await grain.GetMessagesAsync(caller, afterSeq, PageQuery.Limit(limit));
        var next = page.HasMore && page.Items.Length > 0 ? MessageCursor.Encode(page.Items[^1].Seq) : null;
        return new Page<MessageView>(page.Items, next);
    }
}
