from setuptools import find_packages, setup


def read_version():
    scope = {}
    with open('ltr_mm/version.py', encoding='utf-8') as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='ltr_mm',
    version=read_version(),
    description='Long-tailed recognition for OpenMMLab 2.x: LVIS detection and LT classification',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['ltr_mm', 'ltr_mm.*']),
    python_requires='>=3.9',
    install_requires=['mmengine>=0.10,<0.11', 'mmcv>=2.0,<2.2', 'mmdet>=3.3,<3.4',
                      'mmpretrain>=1.2,<1.3', 'faster-coco-eval==1.8.0', 'numpy'],
    license='Apache-2.0',
    zip_safe=False,
)
