namespace Megaco.Protocol.Text.Reader;

/// <summary>How a <see cref="TokenCache{T, TMatcher}"/> recognises the object a word reads as.</summary>
internal interface ITokenMatcher<in T>
{
    /// <summary>Whether <paramref name="value"/> is what <paramref name="word"/> reads as.</summary>
    static abstract bool Matches(T value, ReadOnlySpan<byte> word);
}
