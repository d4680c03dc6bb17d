namespace AgentSilo.Users;

/// <summary>
/// Slows password guessing down: one activation per account (<see cref="LoginThrottleKeys.Account"/>) and one per
/// client address (<see cref="LoginThrottleKeys.Address"/>), so the count is exact across every API instance.
/// After a few free failures each further failure locks the key for a window that doubles up to a short maximum,
/// so an attacker slows to a crawl but cannot lock a victim out for long. Counts live in memory only.
/// </summary>
public interface ILoginThrottleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts one sign-in attempt. Answers 0 when it may go ahead (it counts as a failure until
    /// <see cref="EndAttemptAsync"/> says otherwise, so parallel guesses cannot slip past the count), or the whole
    /// seconds to wait; a refused attempt is not counted.
    /// </summary>
    Task<int> BeginAttemptAsync();

    /// <summary>
    /// Ends an attempt that <see cref="BeginAttemptAsync"/> let through. A success clears an account's failures; for an
    /// address it only takes back this attempt's count, so an attacker's own good password cannot wipe the slate.
    /// </summary>
    Task EndAttemptAsync(bool succeeded);
}

/// <summary>The keys of <see cref="ILoginThrottleGrain"/>.</summary>
public static class LoginThrottleKeys
{
    public const string AccountPrefix = "account/";
    public const string AddressPrefix = "address/";

    public static string Account(string normalizedUsername) => AccountPrefix + normalizedUsername;

    public static string Address(string clientAddress) => AddressPrefix + clientAddress;
}
