using AgentSilo.Access;
using AgentSilo.Users;
using Orleans.Runtime;

namespace AgentSilo.Grains.Users;

public sealed class UsernameGrain(
    [PersistentState("username", "users")] IPersistentState<UsernameState> state,
    PasswordHasher hasher,
    TimeProvider time) : Grain, IUsernameGrain
{
    public async Task<RegistrationResult> RegisterAsync(NewAccount account)
    {
        var username = AccountRules.NormalizeUsername(account.Username);
        AccountRules.ValidateUsername(username);
        AccountRules.ValidatePassword(account.Password);
        if (username != this.GetPrimaryKeyString())
        {
            throw new ValidationFailedException("The username does not belong to this index entry.");
        }

        if (state.State.UserId is not null)
        {
            return new RegistrationResult(false, null, username);
        }

        var userId = Guid.NewGuid().ToString("N");
        await GrainFactory.GetGrain<IUserGrain>(userId).InitializeAsync(account with { Username = username });

        // Written after the user exists: a crash in between leaves an unreachable user, never a name without one.
        state.State = new UsernameState { UserId = userId, RegisteredAt = time.GetUtcNow() };
        await state.WriteStateAsync();
        return new RegistrationResult(true, userId, username);
    }

    public async Task<SignInResult> SignInAsync(string password, string[]? requestedScopes)
    {
        if (state.State.UserId is null)
        {
            await Task.Run(() => hasher.VerifyAgainstDummy(password));
            return SignInResult.Invalid;
        }

        return await GrainFactory.GetGrain<IUserGrain>(state.State.UserId).SignInAsync(password, requestedScopes);
    }

    public Task<string?> GetUserIdAsync() => Task.FromResult(state.State.UserId);
}
