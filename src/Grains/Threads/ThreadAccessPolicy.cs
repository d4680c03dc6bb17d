using AgentSilo.Access;
using AgentSilo.Admin;
using AgentSilo.Grains.Admin;

namespace AgentSilo.Grains.Threads;

public enum ThreadOperation
{
    Read,
    ReadMessages,
    Update,
    Post,
    Delete,
}

/// <summary>
/// Who may do what to a thread: the owner everything; an admin caller may read and delete another user's thread,
/// audited, but never change or post to it; anyone else learns nothing, not even that the thread exists. Every
/// delete is audited, the owner's own included.
/// </summary>
public sealed class ThreadAccessPolicy(AuditTrail audit)
{
    private const string NotFoundMessage = "Thread not found.";

    /// <summary>What a caller hears of a thread that is gone, or that they may not know of.</summary>
    public static NotFoundException NotFound() => new(NotFoundMessage);

    public static void ThrowIfGone(ThreadState thread)
    {
        if (!thread.Exists)
        {
            throw NotFound();
        }
    }

    public async Task AuthorizeAsync(string threadId, ThreadState thread, Caller caller, ThreadOperation operation)
    {
        ThrowIfGone(thread);

        if (IsOwner(thread, caller))
        {
            // Erasure is recorded whoever asks for it: the log answers who deleted a thread, never what it held.
            if (operation == ThreadOperation.Delete)
            {
                await audit.AppendAsync(caller.UserId, AuditActions.ThreadDelete, threadId, thread.OwnerId, caller.AuditReason);
            }

            return;
        }

        if (!caller.IsAdmin)
        {
            throw NotFound();
        }

        var action = operation switch
        {
            ThreadOperation.Read => AuditActions.ThreadRead,
            ThreadOperation.ReadMessages => AuditActions.ThreadMessagesRead,
            ThreadOperation.Delete => AuditActions.ThreadDelete,
            _ => throw new ForbiddenException("Administrators may read and delete other users' threads, not change them."),
        };

        // Written before the data is handed out: an admin access that could not be audited does not happen.
        await audit.AppendAsync(caller.UserId, action, threadId, thread.OwnerId, caller.AuditReason);
    }

    /// <summary>Whether the caller may see the thread in a listing; the listing call audits once for the page.</summary>
    public static bool MayList(ThreadState thread, Caller caller) => thread.Exists && (IsOwner(thread, caller) || caller.IsAdmin);

    private static bool IsOwner(ThreadState thread, Caller caller) => string.Equals(thread.OwnerId, caller.UserId, StringComparison.Ordinal);
}
