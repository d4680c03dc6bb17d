using System.Net;
using System.Text;
using AgentSilo.EndToEnd.Infrastructure;
using AgentSilo.Testing;

namespace AgentSilo.EndToEnd;

/// <summary>A conversation larger than one storage row or grain state can hold (DESIGN.md, decision 3).</summary>
[Collection(SharedStackCollection.Name)]
public sealed class LargeThreadTests(SharedStackFixture fixture)
{
    private const int Posts = 40;
    private const int PostLength = 30_000;

    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task A_thread_past_one_megabyte_is_stored_and_read_back_intact()
    {
        var user = await _api.SignUpAsync("novelist");
        var thread = await _api.CreateThreadAsync(user.AccessToken, "A long story");
        var threadId = thread.GetProperty("id").GetString()!;

        var sent = new List<string>();
        var expectedSeq = 1;
        for (var i = 0; i < Posts; i++)
        {
            var content = Chapter(i);
            sent.Add(content);
            var posted = await _api.PostMessageAsync(user.AccessToken, threadId, content);
            Assert.Equal(expectedSeq, posted[0].GetProperty("seq").GetInt32());
            Assert.Equal(content, posted[0].GetProperty("content").GetString());
            expectedSeq += posted.Length;
        }

        var stored = await _api.ExpectAsync(await _api.GetAsync($"/threads/{threadId}", user.AccessToken), HttpStatusCode.OK);
        Assert.Equal(expectedSeq - 1, stored.GetProperty("messageCount").GetInt32());

        // Small pages so the cursor has to carry the reader through the whole thread.
        var messages = await _api.ReadAllPagesAsync($"/threads/{threadId}/messages", user.AccessToken, limit: 25);
        Assert.Equal(Enumerable.Range(1, expectedSeq - 1), messages.Select(m => m.GetProperty("seq").GetInt32()));
        var userContents = messages
            .Where(m => m.GetProperty("role").GetString() == "user")
            .Select(m => m.GetProperty("content").GetString()!)
            .ToList();
        Assert.Equal(Posts, userContents.Count);
        for (var i = 0; i < Posts; i++)
        {
            Assert.True(sent[i] == userContents[i], $"message {i + 1} came back changed");
        }

        Assert.True(userContents.Sum(c => Encoding.UTF8.GetByteCount(c)) > 1024 * 1024);
    }

    /// <summary>Distinct, deterministic text with some non-ASCII characters, exactly <see cref="PostLength"/> long.</summary>
    private static string Chapter(int index)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?-\"' éüßçñ€漢字\n";
        var random = new Random(index);
        var text = new StringBuilder($"Chapter {index + 1}. ", PostLength);
        while (text.Length < PostLength)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }
}
