export {
  type BlobStore,
  createLocalBlobStore,
  type PutOptions,
  type StoredBlob,
} from './blob-store.ts';
export { createS3BlobStore, ObjectStorageError, type S3BlobStoreOptions } from './s3-blob-store.ts';
