import jsonld from 'jsonld';
import { Parser, type Quad, Store } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import type { DcatFormat } from '../../src/modules/catalog/dcat/index.ts';

/** Reads an exported document back into quads with an independent parser for its format. */
export async function parseToStore(format: DcatFormat, text: string, baseIRI: string): Promise<Store> {
  const store = new Store();
  if (format === 'ttl' || format === 'nt') {
    store.addQuads(new Parser({ format: format === 'nt' ? 'N-Triples' : 'Turtle' }).parse(text));
  } else if (format === 'rdf') {
    await new Promise<void>((resolve, reject) => {
      const parser = new RdfXmlParser({ baseIRI });
      parser.on('data', (quad: Quad) => store.addQuad(quad));
      parser.on('error', reject);
      parser.on('end', () => resolve());
      parser.end(text);
    });
  } else {
    const nquads = (await jsonld.toRDF(JSON.parse(text), {
      format: 'application/n-quads',
    })) as unknown as string;
    store.addQuads(new Parser({ format: 'N-Quads' }).parse(nquads));
  }
  return store;
}
