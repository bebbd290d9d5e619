namespace Megaco.Protocol.Model;

/// <summary>H.248.1 Annex B authenticationHeader: AU = 0xSPI : 0xSequenceNum : 0xAuthData.</summary>
public sealed record AuthenticationHeader(uint SecurityParameterIndex, uint SequenceNumber, string AuthData);
