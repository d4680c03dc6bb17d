using AgentSilo.Access;

namespace AgentSilo.Grains.Users;

/// <summary>The username and password rules of registration.</summary>
public static class AccountRules
{
    public const int MinUsernameLength = 3;
    public const int MaxUsernameLength = 64;
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;
    public const int MaxDisplayNameLength = 100;

    /// <summary>The key of the username index: trimmed and lower-case invariant.</summary>
    public static string NormalizeUsername(string? username) => (username ?? string.Empty).Trim().ToLowerInvariant();

    public static void ValidateUsername(string normalized)
    {
        if (normalized.Length is < MinUsernameLength or > MaxUsernameLength)
        {
            throw new ValidationFailedException($"The username must be {MinUsernameLength} to {MaxUsernameLength} characters.");
        }

        // ASCII only: look-alike letters from other scripts would let two names read the same.
        if (!normalized.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ValidationFailedException("The username may contain only letters a-z, digits, '.', '_' and '-'.");
        }
    }

    public static void ValidatePassword(string? password)
    {
        if (password is null || password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            throw new ValidationFailedException($"The password must be {MinPasswordLength} to {MaxPasswordLength} characters.");
        }

        if (CommonPasswords.Contains(password))
        {
            throw new ValidationFailedException("The password is on a list of commonly used passwords; choose another.");
        }
    }

    /// <summary>The distinct roles of a new account, <c>user</c> when none are given; unknown roles are refused.</summary>
    public static string[] Roles(string[]? roles)
    {
        if (roles is null || roles.Length == 0)
        {
            return [AccessRoles.User];
        }

        if (roles.Any(role => !AccessRoles.All.Contains(role, StringComparer.Ordinal)))
        {
            throw new ValidationFailedException("Unknown role.");
        }

        return roles.Distinct(StringComparer.Ordinal).ToArray();
    }

    public static string DisplayName(string? displayName, string username)
    {
        var name = string.IsNullOrWhiteSpace(displayName) ? username : displayName.Trim();
        if (name.Length > MaxDisplayNameLength)
        {
            throw new ValidationFailedException($"The display name must be at most {MaxDisplayNameLength} characters.");
        }

        PlainText.EnsureLabel(name, "display name");

        return name;
    }
}
