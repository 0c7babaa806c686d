/** @koa/multer ships no types: the part of its API the BFF uses, over multer's own types. */
declare module '@koa/multer' {
  import type { Middleware } from 'koa';
  import type { Options, StorageEngine } from 'multer';

  interface KoaMulter {
    single(field: string): Middleware;
  }
  function multer(options?: Options): KoaMulter;
  namespace multer {
    function memoryStorage(): StorageEngine;
  }
  export default multer;
}
