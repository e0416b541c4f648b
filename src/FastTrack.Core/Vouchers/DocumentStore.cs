using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using Microsoft.Extensions.Options;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// The signed SOW and POE documents, in container <c>redemptions</c> at <c>{voucherId}/{redemptionId}.pdf</c>. A
/// document is streamed in as it arrives (an upload's file part, or a dropped blob), one block at a time, while its
/// SHA-256 and size are computed and its first bytes are checked to be a PDF's; a document that is not a PDF or is
/// too big is refused before anything is committed, so nothing is kept of it. A document is never written over: each
/// redemption's is stored once.
/// </summary>
public sealed class DocumentStore(StorageResources storage, IOptions<VoucherSettings> settings)
{
    public const string ContainerName = "redemptions";
    public const string TooLargeCode = "TooLarge";

    /// <summary>
    /// A stream of unknown length goes up as blocks, each read whole before it is sent: 4 MiB blocks, one at a time,
    /// bound what an upload holds in memory (the SDK's default would be 8 MiB blocks, several at once).
    /// </summary>
    private static readonly StorageTransferOptions OneBlockAtATime = new() { MaximumTransferSize = 4 * 1024 * 1024, MaximumConcurrency = 1 };

    public static string BlobName(string voucherId, string redemptionId) => $"{voucherId}/{redemptionId}.pdf";

    public static RuleViolation TooLarge(long maxBytes) =>
        new(TooLargeCode, $"The document is larger than the limit of {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes.");

    /// <summary>Stores <paramref name="content"/> as the document of redemption <paramref name="redemptionId"/>, unless it breaks a document rule.</summary>
    /// <exception cref="RequestFailedException">409 BlobAlreadyExists: the redemption already has its document.</exception>
    public async Task<StagedDocument> StageAsync(
        string voucherId, string redemptionId, string fileName, Stream content, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerName, cancellationToken);
        using var checkedContent = new CheckedDocument(content, settings.Value.MaxDocumentBytes);
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            TransferOptions = OneBlockAtATime,
        };
        try
        {
            await container.GetBlobClient(BlobName(voucherId, redemptionId)).UploadAsync(checkedContent, upload, cancellationToken);
        }
        catch (DocumentRefusedException refused)
        {
            // The SDK reads the stream itself, block by block, outside its HTTP pipeline, so the exception a read throws
            // reaches us as it is (neither wrapped nor retried), before the block list is committed.
            return new StagedDocument(null, refused.Violation);
        }

        return new StagedDocument(checkedContent.ToDocument(fileName), null);
    }

    /// <summary>Deletes a staged document that did not become a new redemption's.</summary>
    public async Task DiscardAsync(string voucherId, string redemptionId, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerName, cancellationToken);
        await container.GetBlobClient(BlobName(voucherId, redemptionId)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Passes a document through to the upload, hashing and counting it, and stops the upload (by throwing from a
    /// read, before the blob is committed) as soon as it is too big or does not start as a PDF does.
    /// </summary>
    private sealed class CheckedDocument(Stream inner, long maxBytes) : Stream
    {
        private static readonly byte[] PdfSignature = "%PDF-"u8.ToArray();

        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _size;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public RedemptionDocument ToDocument(string name) => new(name, Convert.ToHexStringLower(_hash.GetHashAndReset()), _size);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Check(buffer[..inner.Read(buffer)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Check(buffer.Span[..read]);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Check(ReadOnlySpan<byte> read)
        {
            var before = _size;
            _size += read.Length;
            if (_size > maxBytes)
            {
                throw new DocumentRefusedException(TooLarge(maxBytes));
            }

            // The signature may arrive over several reads; an empty read is the end, too early if it is not all there.
            var checkedBefore = (int)Math.Min(before, PdfSignature.Length);
            var toCheck = Math.Min(read.Length, PdfSignature.Length - checkedBefore);
            if (!read[..toCheck].SequenceEqual(PdfSignature.AsSpan(checkedBefore, toCheck)) ||
                (read.IsEmpty && _size < PdfSignature.Length))
            {
                throw new DocumentRefusedException(new("NotPdf", "The document is not a PDF: its content does not start with %PDF-."));
            }

            _hash.AppendData(read);
            return read.Length;
        }
    }

    private sealed class DocumentRefusedException(RuleViolation violation) : Exception(violation.Message)
    {
        public RuleViolation Violation { get; } = violation;
    }
}

/// <summary>A document stored for a redemption (<see cref="Document"/>), or the document rule it broke (<see cref="Problem"/>: TooLarge or NotPdf).</summary>
public sealed record StagedDocument(RedemptionDocument? Document, RuleViolation? Problem);
