using AgentSilo.Access;

namespace AgentSilo.Users;

/// <summary>
/// A user's personal context for the agents (key: the user id): display name, language and a short "about me".
/// Only that user reads or changes it; the thread grain reads it with the posting user's caller, so agents only
/// ever receive the poster's own context.
/// </summary>
public interface IUserPreferencesGrain : IGrainWithStringKey
{
    /// <summary>The preferences; <see cref="NotFoundException"/> for anyone but the user.</summary>
    Task<UserPreferences> GetAsync(Caller caller);

    /// <summary>Sets the fields that are not null; validates each (bounded, no control characters, screened).</summary>
    Task<UserPreferences> UpdateAsync(Caller caller, UserPreferences changes);
}

[GenerateSerializer, Immutable, Alias("AgentSilo.UserPreferences")]
public sealed record UserPreferences(
    [property: Id(0)] string? DisplayName,
    [property: Id(1)] string? Language,
    [property: Id(2)] string? About);
