import { appMeshTemplate } from './appmesh.js';
import { consulTemplate } from './consul.js';
import { istioTemplate } from './istio.js';
import { linkerdTemplate } from './linkerd.js';
import type { MeshName, MeshTemplate } from './types.js';

/** The template of each mesh. */
export const MESH_TEMPLATES: Readonly<Record<MeshName, MeshTemplate>> = {
  istio: istioTemplate,
  linkerd: linkerdTemplate,
  consul: consulTemplate,
  appmesh: appMeshTemplate,
};
