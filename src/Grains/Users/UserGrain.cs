using AgentSilo.Access;
using AgentSilo.Admin;
using AgentSilo.Grains.Admin;
using AgentSilo.Users;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AgentSilo.Grains.Users;

public sealed class UserGrain(
    [PersistentState("user", "users")] IPersistentState<UserState> state,
    PasswordHasher hasher,
    AuditTrail audit,
    TimeProvider time,
    IOptions<AccountOptions> accountOptions,
    IOptions<QuotaOptions> quotaOptions) : Grain, IUserGrain
{
    private readonly TokenBucket _bucket = new(quotaOptions.Value.Capacity, quotaOptions.Value.RefillPerSecond, time);

    private UserState User => state.State;

    private SessionBook Sessions => new(User.Sessions, time);

    public async Task InitializeAsync(NewAccount account)
    {
        if (User.Exists)
        {
            throw new ConflictException("The user already exists.");
        }

        var roles = AccountRules.Roles(account.Roles);
        var displayName = AccountRules.DisplayName(account.DisplayName, account.Username);

        // PBKDF2 at this cost takes a good fraction of a second: run it off the silo's scheduler threads.
        var hash = await Task.Run(() => hasher.Hash(account.Password));
        state.State = new UserState
        {
            Exists = true,
            Username = account.Username,
            DisplayName = displayName,
            Roles = roles,
            CreatedAt = time.GetUtcNow(),
            PasswordHash = hash,
        };
        await state.WriteStateAsync();
    }

    public Task<UserProfile?> GetProfileAsync() => Task.FromResult(User.Exists ? Profile() : null);

    public async Task<SignInResult> SignInAsync(string password, string[]? requestedScopes)
    {
        if (!User.Exists)
        {
            await Task.Run(() => hasher.VerifyAgainstDummy(password));
            return SignInResult.Invalid;
        }

        // State is read here, on the grain's turn: the thread pool must not touch activation services.
        var stored = User.PasswordHash;
        var needsRehash = false;
        var matches = await Task.Run(() => hasher.Verify(password, stored, out needsRehash));
        if (!matches || User.Disabled)
        {
            return SignInResult.Invalid;
        }

        var scopes = ScopeGrant.Resolve(requestedScopes, AccessRoles.AllowedScopes(User.Roles));
        if (scopes is null)
        {
            return new SignInResult(SignInStatus.InvalidScope);
        }

        if (needsRehash)
        {
            User.PasswordHash = await Task.Run(() => hasher.Hash(password));
        }

        var (session, secret) = Sessions.Open(scopes, TimeSpan.FromDays(accountOptions.Value.RefreshTokenDays));
        await state.WriteStateAsync();
        return new SignInResult(SignInStatus.Succeeded, Profile(), session.Id, secret, scopes, session.ExpiresAt);
    }

    public async Task<SignInResult> RefreshAsync(string sessionId, string secret, string[]? requestedScopes)
    {
        var sessions = Sessions;
        var session = User.Exists && !User.Disabled ? sessions.FindLive(sessionId) : null;
        if (session is null)
        {
            return SignInResult.Invalid;
        }

        // A request wider than the session is refused without spending the token; a replay ends the family anyway.
        var sessionScopes = ScopeGrant.Resolve(requestedScopes, session.Scopes);
        var (outcome, newSecret) = sessions.Redeem(session, secret, rotate: sessionScopes is not null);
        switch (outcome)
        {
            case SessionBook.RedeemOutcome.Unknown:
                return SignInResult.Invalid;
            case SessionBook.RedeemOutcome.Current:
                return new SignInResult(SignInStatus.InvalidScope);
            case SessionBook.RedeemOutcome.Reused:
                await state.WriteStateAsync();
                return SignInResult.Invalid;
        }

        await state.WriteStateAsync();

        // Roles may have shrunk since sign-in: never hand out more than they allow today.
        var allowedNow = AccessRoles.AllowedScopes(User.Roles);
        var scopes = sessionScopes!.Where(scope => allowedNow.Contains(scope, StringComparer.Ordinal)).ToArray();
        return new SignInResult(SignInStatus.Succeeded, Profile(), session.Id, newSecret, scopes, session.ExpiresAt);
    }

    public async Task RevokeSessionAsync(string sessionId, string secret)
    {
        if (Sessions.Revoke(sessionId, secret))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task EndAllSessionsAsync()
    {
        if (User.Sessions.Count > 0)
        {
            User.Sessions.Clear();
            await state.WriteStateAsync();
        }
    }

    public Task<Admission> AdmitAsync(string sessionId, bool takeQuotaToken)
    {
        if (!User.Exists || User.Disabled || Sessions.FindLive(sessionId) is null)
        {
            var quota = quotaOptions.Value.Capacity;
            return Task.FromResult(new Admission(AdmissionStatus.Unauthenticated, quota, 0, 0, 0, "The session has ended."));
        }

        return Task.FromResult(takeQuotaToken ? _bucket.Take() : _bucket.Peek());
    }

    public async Task SetDisabledAsync(Caller caller, bool disabled)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only administrators may disable or enable users.");
        }

        if (!User.Exists)
        {
            throw new NotFoundException("No such user.");
        }

        var userId = this.GetPrimaryKeyString();
        if (disabled && caller.UserId == userId)
        {
            // Nothing in the service could undo it: the admin would be locked out of the admin routes for good.
            throw new ConflictException("Administrators cannot disable their own account.");
        }

        var action = disabled ? AuditActions.UserDisable : AuditActions.UserEnable;
        await audit.AppendAsync(caller.UserId, action, threadId: null, ownerId: userId, caller.AuditReason);

        // Disabling ends every session, as logout-all does: enabling the user again must not bring back tokens
        // that may have been the reason to disable them.
        if (User.Disabled != disabled || (disabled && User.Sessions.Count > 0))
        {
            User.Disabled = disabled;
            if (disabled)
            {
                User.Sessions.Clear();
            }

            await state.WriteStateAsync();
        }
    }

    private UserProfile Profile() => new(
        this.GetPrimaryKeyString(), User.Username, User.DisplayName, User.Roles, User.Disabled, User.CreatedAt);
}
