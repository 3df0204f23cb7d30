export { type BlobStore, createLocalBlobStore, type StoredBlob } from './blob-store.ts';
