using AgentSilo.Access;
using AgentSilo.Grains.Users;
using AgentSilo.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AgentSilo.Silo;

/// <summary>
/// Creates the configured admin account once the silo is active. Registration goes through the username grain,
/// which admits one winner per name, so any number of silos starting at once create it exactly once.
/// </summary>
public sealed class BootstrapAdmin(IGrainFactory grains, IOptions<BootstrapOptions> options, ILogger<BootstrapAdmin> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BootstrapAdmin), ServiceLifecycleStage.Active, EnsureAdminAsync);

    private async Task EnsureAdminAsync(CancellationToken cancellationToken)
    {
        var bootstrap = options.Value;
        if (!bootstrap.IsSet)
        {
            return;
        }

        var username = AccountRules.NormalizeUsername(bootstrap.AdminUsername);
        var account = new NewAccount(username, bootstrap.AdminPassword!, null, [AccessRoles.Admin]);
        var result = await grains.GetGrain<IUsernameGrain>(username).RegisterAsync(account);
        if (result.Created)
        {
            logger.LogWarning("Created the bootstrap admin account {Username} ({UserId}).", result.Username, result.UserId);
            return;
        }

        // An existing account is never changed from configuration (that would let a config change take over a
        // user's account), but an operator who expects an admin must hear that this one is not.
        var userId = await grains.GetGrain<IUsernameGrain>(username).GetUserIdAsync();
        var profile = userId is null ? null : await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        if (profile is not null && !profile.Roles.Contains(AccessRoles.Admin))
        {
            logger.LogWarning(
                "Bootstrap:AdminUsername {Username} is an existing account without the admin role; it was left unchanged.", username);
        }
    }
}
