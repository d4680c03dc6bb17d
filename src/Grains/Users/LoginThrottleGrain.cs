using AgentSilo.Users;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AgentSilo.Grains.Users;

/// <summary>
/// In memory only: a deactivated throttle has forgotten its failures, which errs on the user's side and costs no
/// storage write per guess. The grain's turn-based execution makes each count exact.
/// </summary>
public sealed class LoginThrottleGrain(IOptions<LoginThrottleOptions> options, TimeProvider time) : Grain, ILoginThrottleGrain
{
    private FailureBackoff? _backoff;

    private bool IsAccount => this.GetPrimaryKeyString().StartsWith(LoginThrottleKeys.AccountPrefix, StringComparison.Ordinal);

    private FailureBackoff Backoff => _backoff ??= new(IsAccount ? options.Value.Account : options.Value.Address, time);

    public Task<int> BeginAttemptAsync() => Task.FromResult(Backoff.Begin());

    public Task EndAttemptAsync(bool succeeded)
    {
        if (succeeded && IsAccount)
        {
            Backoff.Reset();
        }
        else if (succeeded)
        {
            Backoff.Forgive();
        }

        return Task.CompletedTask;
    }
}
