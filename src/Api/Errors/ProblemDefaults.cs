using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentSilo.Api.Errors;

/// <summary>
/// Completes every problem-details answer with the members the contract promises (API.md, Conventions): type,
/// title, status, detail and traceId, including for statuses ASP.NET Core has no defaults for (413, 429, ...).
/// </summary>
public static class ProblemDefaults
{
    private static readonly Dictionary<int, string> TypeLinks = new()
    {
        [400] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        [401] = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        [403] = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        [404] = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        [405] = "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        [406] = "https://tools.ietf.org/html/rfc9110#section-15.5.7",
        [409] = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        [413] = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        [415] = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        // ASP.NET Core's own link for 422, so a streamed error and a plain one carry the same type.
        [422] = "https://tools.ietf.org/html/rfc4918#section-11.2",
        [429] = "https://tools.ietf.org/html/rfc6585#section-4",
        [500] = "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        [502] = "https://tools.ietf.org/html/rfc9110#section-15.6.3",
        [503] = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        [504] = "https://tools.ietf.org/html/rfc9110#section-15.6.5",
    };

    /// <summary>Fills what is missing; never replaces what an endpoint or handler already said.</summary>
    public static void Complete(ProblemDetails problem, HttpContext context)
    {
        var status = problem.Status ??= context.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        problem.Type ??= TypeLinks.GetValueOrDefault(status, "about:blank");
        problem.Detail ??= DefaultDetail(status, problem.Title);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.TraceIdentifier);
    }

    private static string DefaultDetail(int status, string? title) => status switch
    {
        404 => "There is nothing at this address.",
        405 => "This address does not accept this HTTP method.",
        415 => "The request body must be application/json (or form-encoded where the contract says so).",
        _ => title is null ? "The request failed." : $"{title}.",
    };
}
