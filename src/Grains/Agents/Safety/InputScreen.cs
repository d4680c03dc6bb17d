using System.Text;
using System.Text.RegularExpressions;
using AgentSilo.Access;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Agents.Safety;

/// <summary>What the input screen found in a user message; empty when nothing.</summary>
public sealed record ScreenResult(IReadOnlyList<string> Findings)
{
    public bool Suspicious => Findings.Count > 0;
}

/// <summary>
/// Screens user messages before they reach a model, for prompt injection: role markers that try to open a system
/// or assistant turn, "ignore previous instructions" and its variants, and the same hidden by obfuscation (zero-width
/// characters, spaced-out letters, base64). It cannot prove a message harmless; it catches the common attacks, and
/// the action (flag or block) is the deployment's choice.
/// </summary>
public sealed partial class InputScreen
{
    private const int MinBase64Length = 24;
    private readonly Regex[] _custom;
    private readonly bool _block;

    public InputScreen(IOptions<SafetyOptions> options)
    {
        _block = string.Equals(options.Value.InputAction, SafetyOptions.Block, StringComparison.OrdinalIgnoreCase);
        _custom = options.Value.InputPatterns
            .Select(p => new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))
            .ToArray();
    }

    /// <summary>Screens <paramref name="content"/>; throws <see cref="ValidationFailedException"/> when the action is block.</summary>
    public ScreenResult Check(string content)
    {
        var result = Inspect(content);
        if (result.Suspicious && _block)
        {
            throw new ValidationFailedException($"The message was refused by the input screen ({string.Join(", ", result.Findings)}).");
        }

        return result;
    }

    /// <summary>What the screen finds, whatever the deployment's action.</summary>
    public ScreenResult Inspect(string content) => new(Findings(content).Distinct().ToList());

    private IEnumerable<string> Findings(string content)
    {
        if (ZeroWidth().IsMatch(content))
        {
            yield return "hidden characters";
        }

        // Look through the disguises too: drop hidden characters, join spaced-out letters, decode base64 runs.
        var revealed = FoldLookAlikes(ZeroWidth().Replace(content, string.Empty));
        var joined = SpacedLetters().Replace(revealed, match => match.Value.Replace(" ", string.Empty, StringComparison.Ordinal));
        var decoded = Base64Runs().Matches(revealed).Select(m => TryDecode(m.Value)).OfType<string>();
        foreach (var text in new[] { revealed, joined }.Concat(decoded))
        {
            if (RoleMarker().IsMatch(text))
            {
                yield return "role marker";
            }

            if (IgnoreInstructions().IsMatch(text) || ForgetOrDisregard().IsMatch(text))
            {
                yield return "instruction override";
            }

            // Letters only: "i g n o r e", "i.g.n.o.r.e" and "ig-nore" all read "ignore".
            var letters = new string(text.Where(char.IsLetter).ToArray());
            if (SquashedOverride().IsMatch(letters))
            {
                yield return "instruction override";
            }

            if (_custom.Any(pattern => pattern.IsMatch(text)))
            {
                yield return "configured pattern";
            }
        }
    }

    /// <summary>
    /// What the text looks like to a reader: NFKC turns fullwidth and other compatibility letters into plain ones, and
    /// Cyrillic and Greek letters that look Latin become Latin. Only for screening: the message is stored as written.
    /// </summary>
    private static string FoldLookAlikes(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        return string.Create(normalized.Length, normalized, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = LookAlikes.GetValueOrDefault(source[i], source[i]);
            }
        });
    }

    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['а'] = 'a', ['е'] = 'e', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ј'] = 'j',
        ['ѕ'] = 's', ['ԁ'] = 'd', ['һ'] = 'h', ['ӏ'] = 'l', ['ԛ'] = 'q', ['ԝ'] = 'w', ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E',
        ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P', ['С'] = 'C', ['Т'] = 'T', ['Х'] = 'X', ['І'] = 'I',
        ['ο'] = 'o', ['α'] = 'a', ['ε'] = 'e', ['ι'] = 'i', ['ν'] = 'v', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['Ο'] = 'O',
    };

    private static string? TryDecode(string run)
    {
        if (run.Length < MinBase64Length || run.Length % 4 != 0)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(run));
            return text.All(c => !char.IsControl(c) || char.IsWhiteSpace(c)) ? text : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(ignore|disregard|forget|override|bypass)(all|any|the|your)*(previous|prior|above|earlier|preceding|system)+(instructions?|prompts?|rules|directions|guidelines)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SquashedOverride();

    [GeneratedRegex(@"[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]")]
    private static partial Regex ZeroWidth();

    [GeneratedRegex(@"\b(?:\p{L} ){3,}\p{L}\b")]
    private static partial Regex SpacedLetters();

    [GeneratedRegex(@"[A-Za-z0-9+/]{16,}={0,2}")]
    private static partial Regex Base64Runs();

    [GeneratedRegex(@"(^|\n)\s*(#+\s*)?(system|assistant|developer)\s*:|(^|\n)\s*#+\s*(system|assistant|developer)\b|</?(system|assistant|developer)>|<\|?im_(start|end)\|?>|<\|(system|assistant|user)\|>|\[/?INST\]|<<\s*/?SYS\s*>>",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleMarker();

    [GeneratedRegex(@"\b(ignore|disregard|forget|override|bypass|skip)\b[\s\S]{0,40}?\b(all|any|the|your|previous|prior|above|earlier|preceding|system|developer)\b[\s\S]{0,40}?\b(instructions?|prompts?|rules|directions|guidelines|messages?)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IgnoreInstructions();

    [GeneratedRegex(@"\b(disregard|forget|ignore)\b\s+(everything|all|the above|what)\b[\s\S]{0,40}?\b(above|before|told|said|earlier|so far)\b|\bdisregard the above\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForgetOrDisregard();
}
