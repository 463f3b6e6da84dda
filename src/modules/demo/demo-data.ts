import type { StaffRole } from '../../common';

/** Demo credentials: printed at start and listed in the README. For trying Fidelia only. */
export const DEMO_STAFF: {
  email: string;
  name: string;
  password: string;
  roles: StaffRole[];
  store?: string;
}[] = [
  { email: 'admin@example.com', name: 'Alba Admin', password: 'demo-admin-2026', roles: ['admin'] },
  {
    email: 'marketing@example.com',
    name: 'Marta Marketing',
    password: 'demo-marketing-2026',
    roles: ['marketing'],
  },
  {
    email: 'cashier@example.com',
    name: 'Carlos Caja',
    password: 'demo-cashier-2026',
    roles: ['cashier'],
    store: 'MAD-01',
  },
  {
    email: 'agent@example.com',
    name: 'Andrea Agente',
    password: 'demo-agent-2026',
    roles: ['agent'],
  },
  {
    email: 'supervisor@example.com',
    name: 'Sergio Supervisor',
    password: 'demo-supervisor-2026',
    roles: ['supervisor'],
  },
];

export const DEMO_STORES = [
  {
    code: 'MAD-01',
    name: 'Madrid Centro',
    timeZone: 'Europe/Madrid',
    address: 'Calle Mayor 1, 28013 Madrid',
  },
  {
    code: 'BCN-01',
    name: 'Barcelona Diagonal',
    timeZone: 'Europe/Madrid',
    address: 'Avinguda Diagonal 500, 08006 Barcelona',
  },
  {
    code: 'LPA-01',
    name: 'Las Palmas Triana',
    timeZone: 'Atlantic/Canary',
    address: 'Calle Triana 50, 35002 Las Palmas',
  },
];

export const DEMO_MEMBERS = [
  {
    firstName: 'Ana',
    lastName: 'García López',
    email: 'ana@example.com',
    phone: '+34600111222',
    locale: 'es' as const,
    birthDate: '1990-04-01',
  },
  {
    firstName: 'Jordi',
    lastName: 'Puig Serra',
    email: 'jordi@example.com',
    phone: '+34600333444',
    locale: 'es' as const,
    birthDate: '1985-11-20',
  },
  {
    firstName: 'Emma',
    lastName: 'Smith',
    email: 'emma@example.com',
    phone: '+34600555666',
    locale: 'en' as const,
    birthDate: '1995-07-12',
  },
  {
    firstName: 'Lucía',
    lastName: 'Fernández Ruiz',
    email: 'lucia@example.com',
    phone: '+34600777888',
    locale: 'es' as const,
    birthDate: '2001-02-28',
  },
];
