using System.Security.Cryptography;
using System.Text;

namespace FastTrack.Storage.Core;

/// <summary>An account name and key, used to sign requests with the SharedKey scheme.</summary>
public sealed class StorageSharedKeyCredential(string accountName, string accountKey)
{
    private readonly byte[] _key = Convert.FromBase64String(accountKey);

    public string AccountName { get; } = accountName;

    internal string Sign(string stringToSign)
    {
        using var hmac = new HMACSHA256(_key);
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }
}
