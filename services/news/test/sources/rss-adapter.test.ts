import { describe, expect, it } from 'vitest';
import { decodeFeed, parseFeed } from '../../src/sources/rss.adapter';
import { SourceFetchError } from '../../src/sources/upstream-fetch';

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Wire &amp; Co - Latest</title>
  <item>
    <title>Acme Corp (NASDAQ: ACME) Raises Full-Year Guidance</title>
    <link>https://wire.example/news/1?utm_source=rss&amp;id=7</link>
    <guid isPermaLink="false">wire-1</guid>
    <pubDate>Mon, 22 Jul 2024 14:57:14 EDT</pubDate>
    <dc:creator>Jane Roe</dc:creator>
    <category>ACME</category>
    <category>NYSE: BRK.B</category>
    <category>Earnings Releases</category>
    <description><![CDATA[<p>Acme <b>raised</b> its outlook&nbsp;for 2024.</p><script>x()</script>]]></description>
    <source url="https://other.example/rss">Other Outlet</source>
  </item>
  <item>
    <title>No link, no guid</title>
    <pubDate>Mon, 22 Jul 2024 15:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Bad date is no date</title>
    <link>https://wire.example/news/3</link>
    <pubDate>sometime last week</pubDate>
  </item>
  <item>
    <link>https://wire.example/news/4</link>
    <description>An item without a title</description>
  </item>
</channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Latest Filings - Mon, 22 Jul 2024 16:10:02 EDT</title>
<entry>
<title>8-K - Acme Corp (0000001234) (Filer)</title>
<link rel="alternate" type="text/html" href="https://www.sec.gov/Archives/edgar/data/1234/000000123424000001-index.htm"/>
<summary type="html"> &lt;b&gt;Filed:&lt;/b&gt; 2024-07-22 &lt;b&gt;AccNo:&lt;/b&gt; 0000001234-24-000001 &lt;b&gt;Size:&lt;/b&gt; 1 MB&lt;br&gt;Item 2.02: Results of Operations and Financial Condition</summary>
<updated>2024-07-22T16:05:03-04:00</updated>
<category scheme="https://www.sec.gov/" label="form type" term="8-K"/>
<id>urn:tag:sec.gov,2008:accession-number=0000001234-24-000001</id>
</entry>
</feed>`;

const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF Wire</title></channel>
  <item rdf:about="https://rdf.example/a"><title>Beta Inc Wins Contract</title><link>https://rdf.example/a</link><dc:date>2024-07-22T10:00:00Z</dc:date></item>
</rdf:RDF>`;

async function failure(body: string | Uint8Array): Promise<SourceFetchError> {
  const err = await parseFeed(body).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof SourceFetchError) return err;
  throw new Error(`expected a SourceFetchError, got ${String(err)}`);
}

describe('RSS and Atom adapter', () => {
  it('reads RSS 2.0: canonical link, guid, RFC 822 time with a US zone, author, symbols from categories, text without HTML', async () => {
    const parsed = await parseFeed(RSS);
    expect(parsed.items[0]).toEqual({
      providerId: 'wire-1',
      url: 'https://wire.example/news/1?id=7',
      title: 'Acme Corp (NASDAQ: ACME) Raises Full-Year Guidance',
      summary: 'Acme raised its outlook for 2024.',
      author: 'Jane Roe',
      publisher: 'Other Outlet',
      publishedAt: '2024-07-22T18:57:14.000Z',
      symbols: ['ACME', 'BRK.B'],
      raw: expect.objectContaining({ guid: 'wire-1', pubDate: 'Mon, 22 Jul 2024 14:57:14 EDT' }),
    });
    // A bad date leaves the item without a publication time; it is still an item.
    expect(parsed.items[1]).toMatchObject({
      url: 'https://wire.example/news/3',
      title: 'Bad date is no date',
      publishedAt: null,
      publisher: 'Wire & Co - Latest',
    });
    expect(parsed.items).toHaveLength(2);
    expect(parsed.rejected).toBe(2);
    expect(parsed.issues).toEqual([expect.stringMatching(/^item 1: url/), expect.stringMatching(/^item 3: title/)]);
  });

  it('reads Atom (SEC EDGAR current filings): href links, offset times, HTML summaries, urn ids', async () => {
    const parsed = await parseFeed(ATOM, 'SEC EDGAR');
    expect(parsed.rejected).toBe(0);
    expect(parsed.items).toEqual([
      {
        providerId: 'urn:tag:sec.gov,2008:accession-number=0000001234-24-000001',
        url: 'https://www.sec.gov/Archives/edgar/data/1234/000000123424000001-index.htm',
        title: '8-K - Acme Corp (0000001234) (Filer)',
        summary:
          'Filed: 2024-07-22 AccNo: 0000001234-24-000001 Size: 1 MB Item 2.02: Results of Operations and Financial Condition',
        author: null,
        publisher: 'SEC EDGAR',
        publishedAt: '2024-07-22T20:05:03.000Z',
        symbols: [],
        raw: expect.any(Object),
      },
    ]);
  });

  it('reads RSS 1.0 (RDF)', async () => {
    const parsed = await parseFeed(RDF);
    expect(parsed.items).toEqual([
      expect.objectContaining({ url: 'https://rdf.example/a', title: 'Beta Inc Wins Contract', publisher: 'RDF Wire' }),
    ]);
  });

  it('decodes a feed delivered as bytes in the encoding its declaration names', async () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Presse</title><item><title>Soci\u00e9t\u00e9 G\u00e9n\u00e9rale rel\u00e8ve ses pr\u00e9visions</title><link>https://presse.example/sg</link></item></channel></rss>`;
    const latin1 = Uint8Array.from(xml, (c) => c.charCodeAt(0));
    expect(latin1.length).toBe(xml.length);
    const parsed = await parseFeed(latin1);
    expect(parsed.items[0]!.title).toBe('Soci\u00e9t\u00e9 G\u00e9n\u00e9rale rel\u00e8ve ses pr\u00e9visions');
    expect(decodeFeed(new TextEncoder().encode('<?xml version="1.0"?><rss/>'))).toBe('<?xml version="1.0"?><rss/>');
  });

  it('refuses a feed that declares ISO-8859-1 but reached us as UTF-8 text with undecodable bytes', async () => {
    const broken = `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><title>Soci\ufffdt\ufffd</title><link>https://x.example/1</link></item></channel></rss>`;
    const err = await failure(broken);
    expect(err.kind).toBe('encoding');
    // Declared ISO-8859-1 but plain ASCII: nothing was lost, so it is read.
    const ascii = broken.replace(/\ufffd/g, 'e');
    expect((await parseFeed(ascii)).items[0]!.title).toBe('Societe');
  });

  it('classifies documents that are not feeds', async () => {
    expect((await failure('')).kind).toBe('empty');
    expect((await failure('   \n')).kind).toBe('empty');
    const html = await failure('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>');
    expect([html.kind, html.message]).toEqual(['malformed', 'answered an HTML page, not a feed']);
    expect((await failure('<rss><channel><item><title>a</item></channel></rss>')).message).toMatch(
      /^not a valid RSS or Atom feed: Unexpected close tag/,
    );
    expect((await failure('<rss version="2.0"><channel><title>x</title><item>')).kind).toBe('malformed');
    expect((await failure('{"items": []}')).kind).toBe('malformed');
    expect(
      (await failure('<rss version="2.0"><channel><item><title>&bogus;</title></item></channel></rss>')).kind,
    ).toBe('malformed');
  });
});
