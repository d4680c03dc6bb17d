using System.Collections.Frozen;
using System.Reflection;

namespace AgentSilo.Grains.Users;

/// <summary>
/// Passwords that attackers try first (OWASP ASVS 2.1.7), shipped as <c>common-passwords.txt</c>: the entries of
/// zxcvbn's frequency list that the length rule alone would let through. tools/common-passwords regenerates it.
/// </summary>
public static class CommonPasswords
{
    private const string ResourceName = "AgentSilo.Grains.common-passwords.txt";

    private static readonly Lazy<FrozenSet<string>> LazyList = new(Load);

    public static int Count => LazyList.Value.Count;

    /// <summary>Whether the password is on the list, ignoring case and surrounding spaces.</summary>
    public static bool Contains(string password) => LazyList.Value.Contains(password.Trim().ToLowerInvariant());

    private static FrozenSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var entries = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                entries.Add(line);
            }
        }

        return entries.ToFrozenSet(StringComparer.Ordinal);
    }
}
