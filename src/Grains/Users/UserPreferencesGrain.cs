using System.Text.RegularExpressions;
using AgentSilo.Access;
using AgentSilo.Grains.Agents.Safety;
using AgentSilo.Users;
using Orleans.Runtime;

namespace AgentSilo.Grains.Users;

public sealed partial class UserPreferencesGrain(
    [PersistentState("preferences", "users")] IPersistentState<UserPreferencesState> state,
    InputScreen screen) : Grain, IUserPreferencesGrain
{
    public const int MaxDisplayNameLength = 100;
    public const int MaxAboutLength = 500;

    public Task<UserPreferences> GetAsync(Caller caller)
    {
        RequireSelf(caller);
        return Task.FromResult(View());
    }

    public async Task<UserPreferences> UpdateAsync(Caller caller, UserPreferences changes)
    {
        RequireSelf(caller);
        var displayName = changes.DisplayName is null ? state.State.DisplayName : Text(changes.DisplayName, MaxDisplayNameLength, "displayName", newlines: false);
        var language = changes.Language is null ? state.State.Language : Language(changes.Language);
        var about = changes.About is null ? state.State.About : Text(changes.About, MaxAboutLength, "preferences.about", newlines: true);

        // The agents read this as context on every turn: it must not smuggle instructions in.
        if (screen.Inspect(displayName + "\n" + about).Suspicious)
        {
            throw new ValidationFailedException("displayName and about must describe you, not give the agents instructions.");
        }

        state.State = new UserPreferencesState { DisplayName = displayName, Language = language, About = about };
        await state.WriteStateAsync();
        return View();
    }

    private UserPreferences View() => new(state.State.DisplayName, state.State.Language, state.State.About);

    private void RequireSelf(Caller caller)
    {
        if (caller.UserId != this.GetPrimaryKeyString())
        {
            throw new NotFoundException();
        }
    }

    private static string? Text(string value, int maxLength, string field, bool newlines)
    {
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength || trimmed.Any(c => (char.IsControl(c) && !(newlines && c == '\n')) || PlainText.IsBidiControl(c)))
        {
            throw new ValidationFailedException(
                $"{field} must be at most {maxLength} characters without control characters or bidirectional overrides.");
        }

        return trimmed.Length == 0 ? null : trimmed;
    }

    private static string? Language(string value) => value.Trim() switch
    {
        "" => null,
        var tag when LanguageTag().IsMatch(tag) => tag,
        _ => throw new ValidationFailedException("preferences.language must be a language tag such as 'en' or 'pt-BR'."),
    };

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]
    private static partial Regex LanguageTag();
}

/// <summary>The stored preferences (grain storage <c>users</c>).</summary>
public sealed class UserPreferencesState
{
    public string? DisplayName { get; set; }

    public string? Language { get; set; }

    public string? About { get; set; }
}
