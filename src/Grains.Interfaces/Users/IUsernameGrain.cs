namespace AgentSilo.Users;

/// <summary>
/// The username index: one activation per normalized (lower-case invariant) username. It owns registration,
/// so that two people racing for one name cannot both win, and sign-in by name.
/// </summary>
public interface IUsernameGrain : IGrainWithStringKey
{
    /// <summary>Creates the account unless the name is taken. Validates the username and password rules.</summary>
    Task<RegistrationResult> RegisterAsync(NewAccount account);

    /// <summary>
    /// Checks the password and, on success, opens a session (a refresh-token family) with the requested scopes.
    /// An unknown name costs the same password hash as a wrong password, and answers the same.
    /// </summary>
    Task<SignInResult> SignInAsync(string password, string[]? requestedScopes);

    /// <summary>The user id that owns this name, or null.</summary>
    Task<string?> GetUserIdAsync();
}

[GenerateSerializer, Immutable, Alias("AgentSilo.NewAccount")]
public sealed record NewAccount(
    [property: Id(0)] string Username,
    [property: Id(1)] string Password,
    [property: Id(2)] string? DisplayName,
    [property: Id(3)] string[] Roles);

[GenerateSerializer, Immutable, Alias("AgentSilo.RegistrationResult")]
public sealed record RegistrationResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string Username);
