using System.Text;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>The keyword lookup folds case and compares whole words: every spelling in any case, nothing else.</summary>
public sealed class KeywordTableTests
{
    public static TheoryData<Keyword> AllKeywords()
    {
        var data = new TheoryData<Keyword>();
        foreach (var keyword in Enum.GetValues<Keyword>().Where(k => k != Keyword.None))
        {
            data.Add(keyword);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllKeywords))]
    public void Every_spelling_in_any_case_finds_its_keyword(Keyword keyword)
    {
        foreach (var spelling in new[] { KeywordTable.Long(keyword), KeywordTable.Short(keyword) })
        {
            Assert.Equal(keyword, Lookup(spelling));
            Assert.Equal(keyword, Lookup(spelling.ToUpperInvariant()));
            Assert.Equal(keyword, Lookup(spelling.ToLowerInvariant()));
            Assert.Equal(keyword, Lookup(AlternateCase(spelling)));
        }
    }

    [Theory]
    [MemberData(nameof(AllKeywords))]
    public void A_spelling_with_one_byte_changed_added_or_removed_is_not_that_keyword(Keyword keyword)
    {
        foreach (var spelling in new[] { KeywordTable.Long(keyword), KeywordTable.Short(keyword) })
        {
            var bytes = Encoding.ASCII.GetBytes(spelling);
            for (var i = 0; i < bytes.Length; i++)
            {
                // '_' is a SafeChar in no keyword; '@' folds onto '`', which is in none either.
                foreach (var replacement in "_@"u8.ToArray())
                {
                    var changed = (byte[])bytes.Clone();
                    changed[i] = replacement;
                    Assert.Equal(Keyword.None, KeywordTable.Lookup(changed));
                }
            }
            Assert.NotEqual(keyword, KeywordTable.Lookup(bytes.AsSpan(1)));
            Assert.NotEqual(keyword, KeywordTable.Lookup(bytes.AsSpan(0, bytes.Length - 1)));
            Assert.Equal(Keyword.None, KeywordTable.Lookup([.. bytes, (byte)'x', (byte)'_']));
        }
    }

    [Fact]
    public void Drafts_and_version_2_spellings_are_recognised()
    {
        Assert.Equal(Keyword.Direction, Lookup("Direction"));
        Assert.Equal(Keyword.Direction, Lookup("di"));
        Assert.Equal(Keyword.RequestId, Lookup("RequestID"));
        Assert.Equal(Keyword.RequestId, Lookup("rq"));
        Assert.Equal(Keyword.EmergencyOff, Lookup("EMERGENCYOFFTOKEN"));
    }

    [Fact]
    public void Empty_overlong_and_non_keyword_words_are_none()
    {
        Assert.Equal(Keyword.None, KeywordTable.Lookup(ReadOnlySpan<byte>.Empty));
        Assert.Equal(Keyword.None, Lookup(new string('a', KeywordTable.MaxLength + 1)));
        Assert.Equal(Keyword.None, Lookup("ResetEventsDescriptoX"));
        Assert.Equal(Keyword.None, Lookup("nt/os"));
        Assert.Equal(Keyword.None, Lookup("Contexts"));
        Assert.Equal(Keyword.Megaco, Lookup("!"));
        Assert.Equal(Keyword.None, Lookup("`"));
    }

    private static Keyword Lookup(string word) => KeywordTable.Lookup(Encoding.ASCII.GetBytes(word));

    private static string AlternateCase(string word) =>
        string.Create(word.Length, word, static (chars, w) =>
        {
            for (var i = 0; i < w.Length; i++)
            {
                chars[i] = i % 2 == 0 ? char.ToUpperInvariant(w[i]) : char.ToLowerInvariant(w[i]);
            }
        });
}
