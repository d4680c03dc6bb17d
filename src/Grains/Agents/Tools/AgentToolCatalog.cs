namespace AgentSilo.Grains.Agents.Tools;

/// <summary>The tools an agent profile may name. Each acts with the authority of the user whose post runs the turn.</summary>
public static class AgentToolCatalog
{
    public const string ListMyThreads = "list_my_threads";
    public const string ReadMyThread = "read_my_thread";
    public const string SearchMyMessages = "search_my_messages";
    public const string CurrentTime = "current_time";

    /// <summary>Lists every user's threads; offered only to a caller with role and scope admin.</summary>
    public const string ListAllThreads = "list_all_threads";

    public static readonly string[] Names = [ListMyThreads, ReadMyThread, SearchMyMessages, CurrentTime, ListAllThreads];
}
